import { xportBuild } from '../tsup.base';

export default xportBuild({ entry: ['src/index.ts', 'src/cli.ts'] });
