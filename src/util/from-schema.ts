/**
 * The TypeScript type a JSON Schema (draft-07, written `as const`) describes, so that a schema
 * kept as data is the one source of both the published schema file and the types the code
 * uses (docs/development.md "Adding a field to the report"). Types only: nothing here runs.
 *
 * It understands the keywords our schemas use, and no more: `$ref` to `#/definitions/NAME`,
 * `const`, `enum`, `type` (string, number, integer, boolean, array, object), `items`,
 * `maxItems: 0` (an array that is always empty), `properties` with `required`, and
 * `propertyNames` with `additionalProperties` (a map). Keywords that only narrow a value
 * (`minimum`, `pattern`, `format`, `description`...) leave its type as it is. An object with
 * `properties` is closed (no other key) only when the schema says `additionalProperties: false`.
 */

/** The keywords a schema written for FromSchema may use; `satisfies` it to catch a misspelt one. */
export interface SchemaNode {
  readonly $schema?: string;
  readonly $ref?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly SchemaNode[];
  readonly properties?: { readonly [key: string]: SchemaNode };
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaNode;
  readonly propertyNames?: SchemaNode;
  readonly items?: SchemaNode;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly definitions?: { readonly [name: string]: SchemaNode };
}

/** Shows an intersection of object types as one object type (in editors and error messages). */
type Flat<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<S> = S extends { readonly required: readonly (infer R)[] } ? R : never;

type ObjectOf<S, P, D, O> = Flat<
  { -readonly [K in keyof P as K extends RequiredKeys<S> ? K : never]: FromSchema<P[K], D, O> } & {
    -readonly [K in keyof P as K extends RequiredKeys<S> ? never : K]?: FromSchema<P[K], D, O>;
  } & (S extends { readonly additionalProperties: false } ? unknown : Record<string, unknown>)
>;

/**
 * The type of the values schema S admits. D: the `definitions` `$ref`s point into. O: types to
 * use for some definitions instead of the one their schema gives (a narrower type the code
 * holds to, where the published schema stays open: e.g. error codes, which a newer version
 * may add to).
 */
export type FromSchema<S, D = unknown, O = unknown> = S extends { readonly $ref: `#/definitions/${infer N}` }
  ? N extends keyof O
    ? O[N]
    : N extends keyof D
      ? FromSchema<D[N], D, O>
      : never
  : S extends { readonly const: infer C }
    ? C
    : S extends { readonly enum: readonly (infer E)[] }
      ? E
      : S extends { readonly type: "array"; readonly maxItems: 0 }
        ? never[]
        : S extends { readonly type: "array"; readonly items: infer I }
          ? FromSchema<I, D, O>[]
          : S extends { readonly type: "object"; readonly properties: infer P }
            ? ObjectOf<S, P, D, O>
            : S extends { readonly type: "object"; readonly propertyNames: infer K; readonly additionalProperties: infer V }
              ? { [key in FromSchema<K, D, O> & string]?: FromSchema<V, D, O> }
              : S extends { readonly type: "string" }
                ? string
                : S extends { readonly type: "number" | "integer" }
                  ? number
                  : S extends { readonly type: "boolean" }
                    ? boolean
                    : unknown;
