import { toPython } from './python';
import { buildFlowRecipe, type FlowRecipeInput } from './recipe';
import { toShell } from './shell';
import { toTypeScript } from './typescript';

export type ProgramLanguage = 'typescript' | 'python' | 'shell';

const FILE_NAMES: Record<ProgramLanguage, string> = { typescript: 'flow.ts', python: 'flow.py', shell: 'flow.sh' };

/** The flow as a program in one language; throws FlowRecipeError when the session lacks what it needs. */
export function generateProgram(language: ProgramLanguage, input: FlowRecipeInput): { fileName: string; text: string } {
  const recipe = buildFlowRecipe(input);
  const fileName = FILE_NAMES[language];
  const text = language === 'typescript' ? toTypeScript(recipe) : language === 'python' ? toPython(recipe) : toShell(recipe);
  return { fileName, text };
}

export { FlowRecipeError } from './recipe';
