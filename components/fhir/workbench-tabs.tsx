'use client';

import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

export type WorkbenchTab = 'examples' | 'history';

const tabs: readonly WorkbenchTab[] = ['examples', 'history'];

export interface WorkbenchTabsProps {
  tab: WorkbenchTab;
  onTabChange: (tab: WorkbenchTab) => void;
  historyCount: number;
  examples: ReactNode;
  history: ReactNode;
}

/** Where a request comes from: the provider's examples or this session's history (WAI-ARIA tabs, arrow keys move). */
export function WorkbenchTabs({ tab, onTabChange, historyCount, examples, history }: WorkbenchTabsProps) {
  const refs = useRef<Partial<Record<WorkbenchTab, HTMLButtonElement | null>>>({});
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const target = event.key === 'Home' ? tabs[0] : event.key === 'End' ? tabs[tabs.length - 1] : step ? tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length] : undefined;
    if (!target) return;
    event.preventDefault();
    onTabChange(target);
    refs.current[target]?.focus();
  };
  const labels: Record<WorkbenchTab, ReactNode> = {
    examples: 'Examples',
    history: (
      <>
        History
        <span className="ml-1.5 rounded-full bg-zinc-200/70 px-1.5 text-xs font-semibold text-zinc-600 tabular-nums">{historyCount}</span>
      </>
    ),
  };
  return (
    <div>
      <div role="tablist" aria-label="Request source" className="mb-3 flex gap-4 border-b border-zinc-200" onKeyDown={onKeyDown}>
        {tabs.map((id) => (
          <button
            key={id}
            ref={(element) => {
              refs.current[id] = element;
            }}
            type="button"
            role="tab"
            id={`fhir-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`fhir-tabpanel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => onTabChange(id)}
            data-testid={`fhir-tab-${id}`}
            className={cn(
              '-mb-px flex items-center border-b-2 px-0.5 pb-2 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500',
              tab === id ? 'border-indigo-600 text-zinc-900' : 'border-transparent text-zinc-600 hover:text-zinc-800',
            )}
          >
            {labels[id]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`fhir-tabpanel-${tab}`} aria-labelledby={`fhir-tab-${tab}`}>
        {tab === 'examples' ? examples : history}
      </div>
    </div>
  );
}
