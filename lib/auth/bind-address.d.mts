export declare const DEFAULT_BIND_ADDRESS: string;
export declare function isLoopbackHost(host: string): boolean;
export declare function signInRequested(env: Partial<Record<string, string>>): boolean;
export declare function resolveBindAddress(env: Partial<Record<string, string>>): { hostname: string; error?: undefined } | { error: string; hostname?: undefined };
