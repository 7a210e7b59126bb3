// Command validate loads a compose file with compose-go, the reference implementation of the
// compose specification that docker compose itself uses: interpolation from an env file, the
// current JSON schema, and normalisation. It prints the resolved project as JSON on stdout, or
// the loader's error on stderr with exit status 1. No Docker engine is needed.
//
// Usage: go run . -env-file ../dev.env ../../../compose.yaml
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	envFile := flag.String("env-file", "", "env file giving the variables compose.yaml references")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: validate [-env-file FILE] COMPOSE_FILE")
		os.Exit(2)
	}
	file, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	options := []cli.ProjectOptionsFn{
		cli.WithName("analytics"),
		cli.WithWorkingDirectory(filepath.Dir(file)),
	}
	if *envFile != "" {
		env, err := filepath.Abs(*envFile)
		if err != nil {
			fail(err)
		}
		options = append(options, cli.WithEnvFiles(env), cli.WithDotEnv)
	}
	projectOptions, err := cli.NewProjectOptions([]string{file}, options...)
	if err != nil {
		fail(err)
	}
	project, err := projectOptions.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := json.Marshal(project)
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
