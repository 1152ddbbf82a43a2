// Placeholder: generates docs/config.md from the config schema.
process.exit(0);
