import { failoverSuite } from "./failover-suite.ts";

failoverSuite({ splitWrites: false });
