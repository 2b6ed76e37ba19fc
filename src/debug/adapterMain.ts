// dist/debugAdapter.js: the debug adapter as its own process, speaking DAP on stdin/stdout.
import { DebugSession } from '@vscode/debugadapter';
import { RealmDebugSession } from './session';

/** The standalone session: default hooks (files read from disk). */
class StandaloneSession extends RealmDebugSession {
  constructor() {
    super({});
  }
}

DebugSession.run(StandaloneSession as unknown as typeof DebugSession);
