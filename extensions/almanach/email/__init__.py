"""The email edition: each letter as a message ready to send."""
