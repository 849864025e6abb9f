"""One folder per thing operators see: models, schemas, service, routes."""
