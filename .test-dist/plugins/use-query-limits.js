/**
 * Limits on what one operation may ask for, enforced by GraphQL Armor during
 * validation, before any resolver runs (and so before any upstream call).
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
export function useQueryLimits(limits) {
    return EnvelopArmorPlugin({
        maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
        maxAliases: { n: limits.maxAliases },
        maxDirectives: { n: limits.maxDirectives },
        maxTokens: { n: limits.maxTokens },
        costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
        // Armor's masking covers only some suggestions; plugins/use-no-schema-hints.ts removes them all.
        blockFieldSuggestion: { enabled: false },
    });
}
