// Preloaded with `node --import ./trace-ccxt.mjs`: records every ccxt module Node loads as a file
// (one URL a line in $XPORT_CCXT_TRACE), so the test sees from outside whether the adapter loaded
// ccxt's one exchange module or its whole entry point, without the app importing @xport/ccxt.
import { register } from 'node:module';

register('./ccxt-load-hooks.mjs', import.meta.url, { data: { file: process.env.XPORT_CCXT_TRACE } });
