export declare const SANDBOX_CONTENT_ENCODING_HEADER: string;
export declare const CONTENT_ENCODING_RESTORED_ENV: string;
