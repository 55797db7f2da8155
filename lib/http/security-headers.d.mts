export declare const securityHeaders: Record<string, string>;
export declare const noContentPolicy: string;
export declare function contentSecurityPolicy(nonce: string, development?: boolean): string;
export declare function newCspNonce(): string;
export declare function refusal(status: number, message: string): Response;
export declare function misdirectedResponse(reason: string): Response;
export declare const sandboxPagePolicy: string;
export declare function policyKindOf(pathname: string): 'none' | 'sandbox' | 'page';
export declare const SANDBOX_PROGRAM_CALLBACK_ORIGIN: string;
