// Kubernetes API clients that share one connection pool per KubeConfig (see kubeconfig.ts for
// where the KubeConfig comes from). The operator, the evaluator's ConfigMap source and the
// TypeScript API's storage all build their clients here.
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ServerConfiguration,
  Watch,
  createConfiguration,
  setHeaderMiddleware,
  type RequestContext,
  type SecurityAuthentication,
} from "@kubernetes/client-node";

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
  watch: Watch;
}

type Dispatcher = ReturnType<RequestContext["getDispatcher"]>;

/**
 * The kubeconfig's credentials, with every request sent through one shared connection pool.
 * client-node 2 gives each API call a new undici Agent (KubeConfig.applySecurityAuthentication),
 * so each call opens and handshakes its own TLS connection: at 10 000 status writes that cost
 * ~10 ms of CPU per call and hundreds of MiB of TLS state outside the JS heap. Headers (bearer
 * tokens, exec and OIDC credentials) are still applied per request by the kubeconfig; only the
 * transport (CA, client certificate) is reused, with keep-alive.
 */
export class PooledAuthentication implements SecurityAuthentication {
  private readonly config: KubeConfig;
  private dispatcher: Dispatcher;

  constructor(config: KubeConfig) {
    this.config = config;
  }

  getName(): string {
    return "kubeconfig authentication, pooled connections";
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.config.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return; // plain http without TLS options: the global pool already reuses
    this.dispatcher ??= fresh;
    context.setDispatcher(this.dispatcher);
  }
}

/** What KubeConfig.makeApiClient does, with pooled connections; `userAgent` names the caller to the API server. */
export function makePooledApiClient<T>(
  config: KubeConfig,
  auth: PooledAuthentication,
  api: new (configuration: ReturnType<typeof createConfiguration>) => T,
  userAgent: string,
): T {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster");
  return new api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: auth },
      middleware: [setHeaderMiddleware("User-Agent", userAgent)],
    }),
  );
}

export function makeClients(config: KubeConfig, userAgent: string): KubeClients {
  const auth = new PooledAuthentication(config);
  return {
    config,
    core: makePooledApiClient(config, auth, CoreV1Api, userAgent),
    custom: makePooledApiClient(config, auth, CustomObjectsApi, userAgent),
    coordination: makePooledApiClient(config, auth, CoordinationV1Api, userAgent),
    watch: new Watch(config),
  };
}
