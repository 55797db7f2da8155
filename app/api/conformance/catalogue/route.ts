import type { CheckCatalogueDto } from '@/lib/contract/conformance';
import { checkDefinitions } from '@/lib/conformance/catalogue';
import { defineRoute } from '@/lib/http/define-route';

export const dynamic = 'force-dynamic';

/** Every conformance check the console runs: ids, groups, titles, the spec section and the Inferno test each mirrors. */
export const GET = defineRoute({ session: 'none' }, async (): Promise<CheckCatalogueDto> => ({ checks: checkDefinitions() }));
