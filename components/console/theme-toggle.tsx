'use client';

import { useSyncExternalStore } from 'react';
import { Button } from '@/components/ui/button';
import { chosenThemeSchema, THEME_COOKIE, type ChosenTheme } from '@/lib/contract/theme';

type Theme = ChosenTheme | 'system';
const order: Theme[] = ['system', 'light', 'dark'];
const labels: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

const listeners = new Set<() => void>();
function subscribe(onChange: () => void) {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}
function readTheme(): Theme {
  const parsed = chosenThemeSchema.safeParse(document.documentElement.dataset.theme);
  return parsed.success ? parsed.data : 'system';
}

function applyTheme(theme: Theme) {
  const root = document.documentElement;
  if (theme === 'system') {
    delete root.dataset.theme;
    document.cookie = `${THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
  } else {
    root.dataset.theme = theme;
    document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }
  listeners.forEach((listener) => listener());
}

/** System → light → dark: the page follows the system until the person picks; the choice is a cookie (no flash). */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribe, readTheme, () => 'system' as Theme);
  const next = order[(order.indexOf(theme) + 1) % order.length] ?? 'system';
  return (
    <Button size="sm" variant="ghost" onClick={() => applyTheme(next)} data-testid="theme-toggle" data-theme-choice={theme} title={`Switch to ${next}`}>
      {labels[theme]}
    </Button>
  );
}
