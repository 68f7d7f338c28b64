//# sourceMappingURL=delivery-store.js.map
