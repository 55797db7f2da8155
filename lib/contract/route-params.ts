import { z } from 'zod';

/** Route params shared by the BFF's provider routes. */
export const providerParamsSchema = z.object({ providerId: z.string().regex(/^[a-z0-9-]{1,40}$/) });
