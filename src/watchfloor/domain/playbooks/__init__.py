"""Response playbooks: per incident type, a checklist with timers, and the after-action timeline."""
