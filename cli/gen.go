package cli

//go:generate go run ./gendoc ../docs/commands.md
