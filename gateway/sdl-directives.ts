import { type ConstDirectiveNode, valueFromASTUntyped } from 'graphql';

/** A directive on an SDL element by name, also under the `federation__` prefix a subgraph may use. */
export function directive(directives: readonly ConstDirectiveNode[] | undefined, name: string) {
  return directives?.find((d) => d.name.value === name || d.name.value === `federation__${name}`);
}

/** One argument of a directive as a plain value; undefined when the directive or the argument is absent. */
export function argument(node: ConstDirectiveNode | undefined, name: string): unknown {
  const value = node?.arguments?.find((a) => a.name.value === name)?.value;
  return value ? valueFromASTUntyped(value) : undefined;
}

/** The scope sets of a `@requiresScopes` directive: any one set, held whole, grants access. */
export function requiredScopes(directives: readonly ConstDirectiveNode[] | undefined): string[][] | undefined {
  return argument(directive(directives, 'requiresScopes'), 'scopes') as string[][] | undefined;
}
