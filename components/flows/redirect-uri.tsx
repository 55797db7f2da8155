import { CopyButton } from '@/components/ui/copy-button';
import { Breakable } from '@/components/ui/breakable';

export interface RedirectUriProps {
  uri: string;
  /** The built-in sandbox's presets are registered with it already. */
  preregistered: boolean;
}

/** The callback URL to register with the provider, exactly as the authorize request will send it. */
export function RedirectUri({ uri, preregistered }: RedirectUriProps) {
  return (
    <div>
      <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">Redirect URI to register</p>
      <div className="mt-1 flex items-center gap-2 rounded-lg border border-zinc-200 bg-zinc-50 py-1 pr-1 pl-2.5">
        <code data-testid="redirect-uri" className="min-w-0 flex-1 font-mono text-xs wrap-anywhere text-zinc-900">
          <Breakable text={uri} />
        </code>
        <CopyButton text={uri} />
      </div>
      <p className="mt-1 text-xs leading-4 text-zinc-600">
        {preregistered
          ? 'This sandbox app has it registered already.'
          : 'Register it character for character with your app: providers compare redirect URIs exactly (RFC 9700 §2.1).'}
      </p>
    </div>
  );
}
