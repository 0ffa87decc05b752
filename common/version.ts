import pkg from '../package.json';

export const CAPSCOPE_VERSION: string = pkg.version;
