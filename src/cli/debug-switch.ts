// The debug switch for the CLI and the tests (vite.config.ts hands it to the browser tests).

/** OVERFIT_DEBUG set to anything but '' or '0'. */
export const debugSwitch = (): boolean => !['', '0', undefined].includes(process.env.OVERFIT_DEBUG);
