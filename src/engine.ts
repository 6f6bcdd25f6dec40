// Entry point of the second bundle (dist/engine.js): everything the extension needs from src/core,
// loaded on first use so activation does not pay for undici and zod.
export {};
