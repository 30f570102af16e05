export const SCOPES = ['catalog:read', 'transactions:read', 'transactions:write'];
