/**
 * The few Reflect metadata functions that @peculiar/x509's dependency injection (tsyringe)
 * asks for at import. Tests use @peculiar/x509 only to make certificates; the package
 * `reflect-metadata` is not a dependency, so this stands in for it.
 */
type Meta = Map<unknown, unknown>;
type MetaKey = string | symbol | undefined;
const store = new WeakMap<object, Map<string | symbol | undefined, Meta>>();

function metaOf(target: object, key: MetaKey, create: boolean): Meta | undefined {
  let byKey = store.get(target);
  if (!byKey && create) store.set(target, (byKey = new Map()));
  let meta = byKey?.get(key);
  if (!meta && create && byKey) byKey.set(key, (meta = new Map()));
  return meta;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R['getMetadata'] !== 'function') {
  const defineMetadata = (k: unknown, v: unknown, target: object, key?: string | symbol) => {
    metaOf(target, key, true)!.set(k, v);
  };
  const getOwnMetadata = (k: unknown, target: object, key?: string | symbol) =>
    metaOf(target, key, false)?.get(k);
  const getMetadata = (k: unknown, target: object, key?: string | symbol): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const v = getOwnMetadata(k, t, key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  Object.assign(R, {
    defineMetadata,
    getOwnMetadata,
    getMetadata,
    hasMetadata: (k: unknown, t: object, key?: MetaKey) => getMetadata(k, t, key) !== undefined,
    metadata: (k: unknown, v: unknown) => (target: object, key?: string | symbol) =>
      defineMetadata(k, v, target, key),
  });
}
