import { z } from 'zod';

/**
 * The page's colour theme when the person chose one over the system's (the header's toggle): kept in a cookie so the
 * server renders it on <html> and nothing flashes. Not a secret, and no session: a preference of the browser.
 */
export const THEME_COOKIE = 'console_theme';
export const chosenThemeSchema = z.enum(['light', 'dark']);
export type ChosenTheme = z.infer<typeof chosenThemeSchema>;
