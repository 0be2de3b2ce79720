/** The failover scenarios again, every upstream write split in two segments 3 ms apart (bench/split-proxy.ts). */
import { failoverSuite } from "./failover-suite.ts";

failoverSuite({ splitWrites: true });
