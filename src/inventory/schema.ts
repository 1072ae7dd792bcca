/**
 * The inventory's JSON Schema (draft-07): the SINGLE source of what the file may hold
 * (README "The inventory"). `examples/inventory.schema.json` (committed: write-schema.ts) and
 * the precompiled validator (build output in dist/generated/: write-validator.ts) are generated
 * from it by `npm run build`, and a test keeps them equal.
 *
 * `x-accepted` is our own annotation (ajv is told about it; editors ignore it): the "what is
 * accepted" part of an error message, kept next to the rule it explains.
 * Rules the schema cannot say (unique names, host syntax, host+port clashes) are in rules.ts.
 */

/**
 * A text field: what it is (`description`, what editors show), what is accepted (`x-accepted`,
 * the end of an error message), and its rule: the pattern it must match, or else at least one
 * character.
 */
function textField(description: string, accepted: string, pattern?: string) {
  return { description, type: "string", ...(pattern === undefined ? { minLength: 1 } : { pattern }), "x-accepted": accepted } as const;
}

const PORT = {
  type: "integer",
  minimum: 1,
  maximum: 65535,
  "x-accepted": "a whole number from 1 to 65535",
} as const;

const TRANSPORT = {
  description:
    "How the tool reaches the node's admin interface: proxy (default: a proxy request for http://safesquid.cfg/ to host:port), direct (the request sent straight to host:port) or https (https://safesquid.cfg/ through a CONNECT tunnel).",
  enum: ["proxy", "direct", "https"],
  "x-accepted": "proxy, direct or https",
} as const;

const TIMEOUT = textField("Per-request timeout: 500ms, 10s, 2m, 1m30s (default 10s).", "a duration such as 500ms, 10s, 2m or 1m30s", "^(\\d+(\\.\\d+)?(ms|s|m|h))+$");

const CA_FILE = textField(
  "PEM file of the CA that signs the node's certificate (transport https). A relative path is read from the inventory file's folder.",
  "a file path",
);

/** Declared only so editors explain it and the loader refuses it with a dedicated message. */
const INLINE_PASSWORD = {
  description: "Not allowed: a password never goes in the inventory. Use passwordEnv (an environment variable) or passwordFile (a file).",
  not: {},
} as const;

export const CREDENTIALS = {
  description:
    "Login for nodes whose allow row challenges the tool (407). Give the user name and exactly one of passwordEnv or passwordFile; the password itself never goes in the file. A node's credentials replace the defaults' as a whole.",
  type: "object",
  additionalProperties: false,
  required: ["username"],
  properties: {
    username: textField("The proxy user name.", "a user name without spaces or colons", "^[^:\\s]+$"),
    passwordEnv: textField(
      "The NAME of the environment variable that holds the password (e.g. SAFESQUID_PASSWORD), not the password.",
      "an environment variable name (letters, digits and _, not starting with a digit), e.g. SAFESQUID_PASSWORD",
      "^[A-Za-z_][A-Za-z0-9_]*$",
    ),
    passwordFile: textField(
      "A file whose content is the password (trailing newline ignored); keep it chmod 600. A relative path is read from the inventory file's folder.",
      "a file path",
    ),
    password: INLINE_PASSWORD,
  },
  oneOf: [{ required: ["passwordEnv"] }, { required: ["passwordFile"] }],
  "x-accepted": "username and exactly one of passwordEnv (an environment variable name) or passwordFile (a file path)",
} as const;

export const NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

const NAME = textField(
  "The node's name in reports and for --limit: letters, digits, '.', '_' and '-', starting with a letter or digit; unique.",
  "letters, digits, '.', '_' and '-', starting with a letter or digit (e.g. pune-1)",
  NAME_PATTERN,
);

export const HOST_ACCEPTED = "an IP address (10.0.0.10, fd00::10) or a host name (proxy1.example.com), without scheme, port, path or network mask";

const HOST = textField(
  "Where the node's proxy port answers: an IP address or a host name (resolved when an address is needed). Not a URL, not a CIDR, no port.",
  HOST_ACCEPTED,
);

export const IP_ACCEPTED = "an IPv4 or IPv6 address (e.g. 10.0.1.99), not a host name or a network";

/** Fields every node may set, and `defaults` may set for all of them. */
const NODE_COMMON = {
  port: { ...PORT, description: "The node's proxy port, where its admin interface answers (default 8080)." },
  transport: TRANSPORT,
  timeout: TIMEOUT,
  credentials: CREDENTIALS,
  caFile: CA_FILE,
} as const;

/** A node of the fleet (the master, a slave): a name and a host, the fields every node may set, and its own. */
function nodeSchema<const P extends object>(description: string, own: P) {
  return {
    description,
    type: "object",
    additionalProperties: false,
    required: ["name", "host"],
    properties: {
      name: NAME,
      host: HOST,
      ...NODE_COMMON,
      ...own,
    },
    "x-accepted": "a mapping with at least name and host",
  } as const;
}

const MASTER = nodeSchema("The master node: the one every slave syncs its policy from.", {
  advertise: {
    description: "What slaves get as MASTER_IP / MASTER_PORT, when they reach the master at another address than the tool does.",
    type: "object",
    additionalProperties: false,
    properties: {
      ip: textField("MASTER_IP: an IP address (default: the master's host).", IP_ACCEPTED),
      port: { ...PORT, description: "MASTER_PORT (default: the master's port)." },
    },
    "x-accepted": "a mapping with ip and/or port",
  },
} as const);

const SLAVE = nodeSchema("A slave: a node that syncs its policy from the master.", {
  sourceIp: textField(
    "The address the master sees when this slave syncs (NAT, several interfaces); the allow row admits it instead of the host's address.",
    IP_ACCEPTED,
  ),
} as const);

export const inventorySchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "safesquid-fleet inventory",
  description: "One SafeSquid master and its slaves, for safesquid-fleet. Unknown fields are errors.",
  type: "object",
  additionalProperties: false,
  required: ["version", "master", "slaves"],
  properties: {
    version: { description: "The inventory format version: 1.", const: 1, "x-accepted": "1" },
    defaults: {
      description: "Values every node gets unless it sets its own.",
      type: "object",
      additionalProperties: false,
      properties: NODE_COMMON,
      "x-accepted": "a mapping of port, transport, timeout, credentials, caFile",
    },
    master: MASTER,
    slaves: {
      description: "The slaves, at least one; commands keep this order.",
      type: "array",
      minItems: 1,
      items: SLAVE,
      "x-accepted": "a list of at least one slave, each a mapping with name and host",
    },
    allowList: {
      description: "The allow row the tool keeps on the master for the slaves.",
      type: "object",
      additionalProperties: false,
      properties: {
        userGroup: textField("The user group the row adds (default PROXY_SLAVES).", "letters, digits, '_', '.' and '-' (e.g. PROXY_SLAVES)", "^[A-Za-z0-9][A-Za-z0-9_.-]*$"),
      },
      "x-accepted": "a mapping with userGroup",
    },
    sync: {
      description: "What verify checks.",
      type: "object",
      additionalProperties: false,
      properties: {
        sections: {
          description: "The policy sections verify reports (e.g. access, profiles, sslcert); default: every section that syncs.",
          type: "array",
          minItems: 1,
          uniqueItems: true,
          items: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_-]*$", "x-accepted": "a section name such as access, profiles or sslcert" },
          "x-accepted": "a list of section names such as [access, profiles, sslcert]",
        },
      },
      "x-accepted": "a mapping with sections",
    },
  },
  "x-accepted": "a mapping with version, master and slaves (see examples/inventory.yaml)",
} as const;

/** The schema as the committed `examples/inventory.schema.json` holds it. */
export function schemaJson(): string {
  return JSON.stringify(inventorySchema, null, 2) + "\n";
}

/** The inventory as the schema admits it (before defaults); what normalise.ts reads. */
export interface RawCredentials {
  username: string;
  passwordEnv?: string;
  passwordFile?: string;
}
export interface RawCommon {
  port?: number;
  transport?: "proxy" | "direct" | "https";
  timeout?: string;
  credentials?: RawCredentials;
  caFile?: string;
}
export interface RawNode extends RawCommon {
  name: string;
  host: string;
}
export interface RawInventory {
  version: 1;
  defaults?: RawCommon;
  master: RawNode & { advertise?: { ip?: string; port?: number } };
  slaves: (RawNode & { sourceIp?: string })[];
  allowList?: { userGroup?: string };
  sync?: { sections?: string[] };
}
