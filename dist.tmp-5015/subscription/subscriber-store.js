//# sourceMappingURL=subscriber-store.js.map
