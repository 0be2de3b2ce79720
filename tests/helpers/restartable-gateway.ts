/**
 * Gateways in this process on a config file and data directory of their own, that a test can stop and
 * start again on the same directory: what a restart keeps (the store, the session key, the secret
 * store) is then checked through the real admin API. Each start signs the `admin` account in.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockUpstream, startMockUpstream } from "../../bench/mock-upstream.ts";
import { type RunningGateway, startGateway } from "../../src/main.ts";
import type { PipelineDeps } from "../../src/pipeline/state.ts";
import { AdminClient } from "./admin-client.ts";
import { configSource, recordingLogger } from "./gateway-harness.ts";

export interface Started {
  gateway: RunningGateway;
  admin: AdminClient;
  dir: string;
  dataDir: string;
  configPath: string;
}

export class Gateways {
  readonly mock: MockUpstream = startMockUpstream();
  private readonly dirs: string[] = [];
  private readonly running: RunningGateway[] = [];

  constructor(
    private readonly options: {
      password: string;
      deps?: Partial<PipelineDeps>;
      providers?: (mockUrl: string) => string;
    },
  ) {}

  /**
   * A gateway on `dir` (a new directory when not given) with `config` as the body of its config file.
   * In-process restarts are safe after the previous gateway on the directory was stopped (`stop`).
   */
  async start(config: string, dir = this.newDir(), options: { writeConfig?: boolean } = {}): Promise<Started> {
    const configPath = join(dir, "gateway.config.ts");
    if (options.writeConfig !== false)
      writeFileSync(configPath, configSource(this.mock.url, config, "", this.options.providers?.(this.mock.url)));
    const dataDir = join(dir, "data");
    const gateway = await startGateway({
      configPath,
      projectRoot: dir,
      dataDir,
      port: 0,
      host: "127.0.0.1",
      log: recordingLogger(),
      watch: false,
      adminPassword: this.options.password,
      deps: this.options.deps,
    });
    this.running.push(gateway);
    const admin = new AdminClient(gateway.url);
    return { gateway, admin, dir, dataDir, configPath };
  }

  /** Stops one gateway (for a restart on its directory). */
  async stop(started: Started): Promise<void> {
    this.running.splice(this.running.indexOf(started.gateway), 1);
    await started.gateway.stop();
  }

  async close(): Promise<void> {
    for (const gateway of this.running.splice(0)) await gateway.stop().catch(() => {});
    await this.mock.stop();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private newDir(): string {
    const dir = mkdtempSync(join(tmpdir(), "smartroute-restart-"));
    this.dirs.push(dir);
    return dir;
  }
}
