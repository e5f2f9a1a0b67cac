"""The Textual screens of the wizard: thin views over the pbxwizard core."""
