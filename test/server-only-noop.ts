// Stand-in for `server-only` under vitest, where every module runs server-side.
export {};
