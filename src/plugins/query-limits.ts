/**
 * Limits on what one operation may ask for, enforced by GraphQL Armor during
 * validation, before any resolver runs (and so before any upstream call).
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';
import type { RequestLimits } from '../config.js';

export function useQueryLimits(limits: RequestLimits, { introspection }: { introspection: boolean }): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    maxTokens: { n: limits.maxTokens },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    // Suggestions ("Did you mean …?") would reveal the schema that introspection hides.
    blockFieldSuggestion: { enabled: !introspection },
  }) as Plugin;
}
