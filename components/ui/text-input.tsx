import type { ComponentProps } from 'react';
import { cn } from './cn';
import { controlClass } from './field';

export function TextInput({ className, ...rest }: ComponentProps<'input'>) {
  return <input className={cn(controlClass, 'h-9', className)} {...rest} />;
}
