import type { ProviderDto } from '@/lib/contract/schemas';
import { formatSeconds } from '@/components/jwt/fact-utils';
import { expect, test } from '../support/test';

/**
 * Issue #16: every provider fact on the page comes from the provider file. Walks every provider and credential set of
 * the built-in sandboxes, as /api/providers gives them, and checks what the page says about each.
 */
test('every provider and credential set: the lifetime, the API’s name and the no-token hint are the provider file’s', async ({ page }) => {
  await page.goto('/');
  const { providers } = (await (await page.request.get('/api/providers')).json()) as { providers: ProviderDto[] };
  const checked: string[] = [];
  for (const provider of providers) {
    for (const preset of provider.presets.filter((p) => p.environments.includes('builtin'))) {
      await page.getByLabel('Provider', { exact: true }).selectOption(provider.id);
      await page.getByLabel('Environment').selectOption('builtin');
      await page.getByLabel('Credential set').selectOption(preset.id);
      const grant = preset.grant ?? provider.grant;
      await expect(page.getByTestId('documented-lifetime')).toHaveText(`Documented lifetime ${formatSeconds(grant.documentedTokenLifetimeSeconds)}.`);
      const fhir = provider.apiKind === 'fhir';
      await expect(page.getByTestId('fhir-panel').getByRole('heading').first()).toContainText(fhir ? 'FHIR workbench' : 'API workbench');
      await expect(page.getByText(fhir ? 'FHIR base' : 'API base', { exact: true })).toBeVisible();
      await expect(page.getByText(fhir ? 'API base' : 'FHIR base', { exact: true })).toHaveCount(0);
      const noToken = page.getByTestId('fhir-panel').getByText(/No live token/);
      if (provider.defaultRequests.some((r) => r.group === 'discovery')) await expect(noToken).toContainText('discovery examples need none');
      else await expect(noToken).not.toContainText('need none');
      await expect(page.getByTestId('fhir-panel')).not.toContainText('CapabilityStatement needs none');
      checked.push(`${provider.id}/${preset.id}`);
    }
  }
  // The facts the review found wrong, by name.
  expect(checked).toEqual(expect.arrayContaining(['1uphealth/patient-access', 'candid/demo-billing', 'bcda/extra-small']));
  await page.getByLabel('Provider', { exact: true }).selectOption('1uphealth');
  await page.getByLabel('Credential set').selectOption('patient-access');
  await expect(page.getByTestId('documented-lifetime')).toHaveText('Documented lifetime 2 h.');
  await page.getByLabel('Provider', { exact: true }).selectOption('candid');
  await expect(page.getByText('API base', { exact: true })).toBeVisible();
  // With a token, the no-token hint goes.
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await expect(page.getByTestId('fhir-panel').getByText(/No live token/)).toHaveCount(0);
});
