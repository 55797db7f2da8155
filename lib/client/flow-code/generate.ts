import { toPython } from './python';
import { buildFlowRecipe, type FlowRecipeInput } from './recipe';
import { toShell } from './shell';
import { toTypeScript } from './typescript';

export type ProgramLanguage = 'typescript' | 'python' | 'shell';

export const PROGRAM_LANGUAGES: { id: ProgramLanguage; label: string; fileName: string }[] = [
  { id: 'typescript', label: 'TypeScript (Node 20)', fileName: 'flow.ts' },
  { id: 'python', label: 'Python 3', fileName: 'flow.py' },
  { id: 'shell', label: 'Shell (curl, jq)', fileName: 'flow.sh' },
];

/** The flow as a program in one language; throws FlowRecipeError when the session lacks what it needs. */
export function generateProgram(language: ProgramLanguage, input: FlowRecipeInput): { fileName: string; text: string } {
  const recipe = buildFlowRecipe(input);
  const fileName = PROGRAM_LANGUAGES.find((l) => l.id === language)?.fileName ?? 'flow.txt';
  const text = language === 'typescript' ? toTypeScript(recipe) : language === 'python' ? toPython(recipe) : toShell(recipe);
  return { fileName, text };
}

export { FlowRecipeError } from './recipe';
