//# sourceMappingURL=ledger-rows.js.map
