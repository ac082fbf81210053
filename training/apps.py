from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        """Answer the lower apps' questions about training, in code.

        Both instances (live and training) register the same answers, as the settings
        that named them used to; each answer itself decides what it does on which
        instance (after_registration does nothing on the training instance, the demo
        seeder makes exercises on live and practice cases on training).

        - filers asks before certifying a filer whether the training is done
          (registered as "training", the name ECF_CERTIFICATION_REQUIREMENTS chooses),
          shows registrant and clerk which exercises are done, queues the practice
          account when someone registers, and the public home page shows what each
          role practises (filers.hooks);
        - seed_demo adds the default exercises and practice cases (cases.demo).
        """
        from cases.demo import on_demo_seed
        from filers import hooks

        from . import checks, demo, services

        hooks.add_certification_requirement(
            "training", checks.unmet_training_requirements
        )
        hooks.on_registration_progress(checks.registration_progress)
        hooks.on_registration(services.after_registration)
        hooks.on_role_training_texts(checks.training_texts)
        on_demo_seed(demo.seed)
