// Types of launch.js, for the TypeScript that imports it (tests, scripts).
export declare const ROOT: string
export declare const STAMP_FILE: string
export declare const BUILD_INPUTS: string[]
export declare function sourcesHash(root?: string): string
export declare function readStamp(root?: string): { sources: string; mode: string; built_at: string } | undefined
export declare function distState(root?: string): 'fresh' | 'stale' | 'missing'
export declare function launch(entry: string): Promise<void>
