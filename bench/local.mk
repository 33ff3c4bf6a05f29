# bench: sources are added by this folder's files
