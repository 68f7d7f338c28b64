//# sourceMappingURL=bounce-store.js.map
