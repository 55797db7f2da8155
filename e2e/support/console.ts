import { expect, type Page } from '@playwright/test';

/** Picks provider, built-in sandbox and a preset on the console page. */
export async function choose(page: Page, providerId: string, presetId: string, environmentId = 'builtin'): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Provider').selectOption(providerId);
  await page.getByLabel('Environment').selectOption(environmentId);
  await page.getByLabel('Credential set').selectOption(presetId);
}

/** Starts a HealthSherpa authorization and signs in as the first demo agent, up to the consent page. */
export async function signInAtHealthSherpa(page: Page): Promise<void> {
  await page.getByTestId('authorize').click();
  await page.getByLabel('Email').fill('agent@demo-agency.test');
  await page.getByLabel('Password').fill('Sherpa-Demo-1!');
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Starts a Blue Button authorization, signs in as the first synthetic beneficiary and allows, back on the console. */
export async function signInAtBlueButton(page: Page): Promise<void> {
  await page.getByTestId('authorize').click();
  await page.getByLabel('Username').fill('BBUser00000');
  await page.getByLabel('Password').fill('PW00000!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
}

/** Sends one request from the FHIR panel and waits for its status. */
export async function sendRequest(page: Page, path: string, method = 'GET'): Promise<void> {
  const panel = page.getByTestId('fhir-panel');
  await panel.getByRole('combobox').first().selectOption(method);
  await panel.getByRole('textbox').first().fill(path);
  await page.getByTestId('fhir-send').click();
}

export async function expectStatus(page: Page, status: number): Promise<void> {
  await expect(page.getByTestId('fhir-panel')).toContainText(String(status));
}

/**
 * Switches one simulated failure of the built-in sandbox on or off in the "Simulate a failure…" drawer, waits until
 * the server has stored it, and closes the drawer again.
 */
export async function setSimulatedFailure(page: Page, label: string, on: boolean): Promise<void> {
  const card = page.getByTestId('failure-simulation');
  const drawer = card.getByRole('dialog', { name: 'Simulate a failure' });
  await card.getByTestId('failure-simulation-open').click();
  await expect(drawer).toBeVisible();
  const saved = page.waitForResponse((r) => r.url().includes('/api/session/simulations/') && r.request().method() === 'PUT');
  const checkbox = drawer.getByLabel(label, { exact: true });
  await (on ? checkbox.check() : checkbox.uncheck());
  const answer = await saved;
  if (answer.status() !== 200) throw new Error(`Switching "${label}" answered ${answer.status()}.`);
  await drawer.getByTestId('failure-simulation-close').click();
  await expect(drawer).toBeHidden();
}
