# jetstream/
