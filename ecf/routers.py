"""Keep every model on `default` unless the training app asks for `training` explicitly.

The training app reads and writes the training database with `.using("training")`;
nothing is routed there implicitly, so no other code can reach it by accident.
"""


class TrainingRouter:
    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # Rows of two different databases are never related.
        return obj1._state.db == obj2._state.db

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return True
