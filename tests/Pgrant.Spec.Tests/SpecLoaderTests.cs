using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Spec.Tests;

public sealed class SpecLoaderTests
{
    private static SpecException Fails(string yaml) => Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "spec.yaml"));

    [Fact]
    public void The_complete_example_loads_every_section()
    {
        var spec = SpecLoader.Parse(SpecFiles.Read("spec-example.yaml"), "spec-example.yaml");

        Assert.Equal(["migrator", "app", "reporting", "app_readers", "Ops Team"], spec.Roles.Select(r => r.Name));
        var app = spec.Roles.Single(r => r.Name == "app");
        Assert.True(app.Login);
        Assert.Equal(50, app.ConnectionLimit);
        Assert.Equal("30s", app.Config["statement_timeout"]);
        Assert.Equal("app, public", app.DatabaseConfig["shop"]["search_path"]);
        Assert.Equal("APP_PASSWORD", app.Password!.Environment);
        Assert.Equal("2027-06-30", spec.Roles.Single(r => r.Name == "reporting").ValidUntil);

        // member_of on a role and the memberships section are one list.
        Assert.Equal(["app_readers ⊃ app", "app_readers ⊃ reporting", "pg_monitor ⊃ Ops Team"],
            spec.Memberships.Select(m => $"{m.Role} ⊃ {m.Member}"));
        var reporting = spec.Memberships.Single(m => m.Member == "reporting");
        Assert.Equal((true, false, false), (reporting.Inherit, reporting.Set, reporting.Admin));

        Assert.Equal("migrator", spec.Databases.Single().Owner);
        Assert.Equal(["app", "reporting"], spec.Databases.Single().Grants[0].To.AsEnumerable());
        Assert.Equal(Privilege.Connect | Privilege.Create | Privilege.Temporary, spec.Databases.Single().Grants[1].Privileges.Bits);
        Assert.Equal("auditor", spec.Profiles.Single().Name);
        Assert.Equal(new SpecPrivileges(Privilege.Execute, false), spec.Profiles.Single().Privileges[ProfileTarget.Functions]);
        Assert.Equal(["readwrite", "readonly", "auditor"], spec.Access.Select(a => a.Profile));
        Assert.Equal(["app_archive"], spec.Access[1].Except.AsEnumerable());
        Assert.False(spec.Access[2].FutureObjects);

        var columns = spec.Grants[0];
        Assert.Equal(["id", "name"], columns.Columns.AsEnumerable());
        Assert.Equal("bigint, integer", spec.Grants[1].Arguments);
        Assert.Equal([(string?)null], spec.Grants[3].To.AsEnumerable()); // PUBLIC
        Assert.Equal([16401u], spec.Grants[6].Oids.AsEnumerable());
        Assert.True(spec.Grants[7].Privileges.All);
        Assert.Equal("ALL", spec.Grants[7].Privileges.ToString());

        Assert.Equal(DefaultObjectType.Functions, spec.DefaultPrivileges[0].On);
        Assert.Null(spec.DefaultPrivileges[1].Schema);
    }

    [Fact]
    public void Hostile_names_are_kept_as_written()
    {
        var spec = SpecLoader.Parse(SpecFiles.Read("hostile.yaml"), "hostile.yaml");

        Assert.Equal(["we\"ird role", "select", "日本語の役割", "a role, with = and /"], spec.Roles.Select(r => r.Name));
        Assert.Equal("My Schema", spec.Schemas.Single().Name);
        Assert.Equal(["a role, with = and /", "select"], spec.Schemas.Single().Grants.Single().To.AsEnumerable());
        Assert.Equal(["Order Lines", "x.y"], spec.Grants.Single().Names.AsEnumerable());
    }

    [Fact]
    public void A_password_is_a_reference_and_its_value_is_never_read()
    {
        var spec = SpecLoader.Parse("roles:\n  app:\n    password: {env: APP_PASSWORD}\n", "spec.yaml");
        var role = spec.Roles.Single();

        Assert.Equal("password from $APP_PASSWORD", role.Password!.ToString());
        Assert.Contains("password from $APP_PASSWORD", role.ToString(), StringComparison.Ordinal);
        var e = Fails("roles:\n  app:\n    password: hunter2\n");
        Assert.Equal("spec.yaml:3:15: password is not {env: NAME} (expected the name of an environment variable that holds it; a password is never written in a spec)", e.Message);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grants:\n  - to: app\n    on: sequences\n    schema: app\n    names: [s]\n    privileges: [USAGE, DELETE]\n",
        "spec.yaml:6:25: unknown privilege \"DELETE\" for a sequence (expected SELECT, UPDATE, USAGE or ALL)")]
    [InlineData("grants:\n  - to: app\n    on: tables\n    schema: app\n    names: [t]\n    columns: [a]\n    privileges: DELETE\n",
        "spec.yaml:7:17: unknown privilege \"DELETE\" for a column (expected INSERT, SELECT, UPDATE, REFERENCES or ALL)")]
    [InlineData("schemas:\n  app:\n    grants:\n      - to: app\n        privileges: [select]\n",
        "spec.yaml:5:22: unknown privilege \"select\" for a schema (expected USAGE, CREATE or ALL; privileges are written in capitals)")]
    [InlineData("roles:\n  app:\n    logon: true\n",
        "spec.yaml:3:5: unknown key \"logon\" (expected login, superuser, createdb, createrole, replication, bypassrls, inherit, connection_limit, valid_until, comment, password, config, database_config or member_of)")]
    [InlineData("roles:\n  app:\n    login: yes\n", "spec.yaml:3:12: login is \"yes\" (expected true or false)")]
    [InlineData("roles:\n  app:\n    comment: 12\n", "spec.yaml:3:14: comment is the number 12 (expected a string; quote a value that reads as a number or boolean)")]
    [InlineData("roles:\n  app: {}\n  app: {}\n", "spec.yaml:3:3: \"app\" appears twice in one mapping (expected each name and key once)")]
    [InlineData("access:\n  - to: app\n    profile: read_write\n    schemas: [app]\n",
        "spec.yaml:3:14: profile \"read_write\" does not exist (expected readonly, readwrite, or one defined under profiles:)")]
    [InlineData("profiles:\n  readonly:\n    tables: [SELECT]\n", "spec.yaml:3:5: profile \"readonly\" is built in (expected another name for a profile of your own)")]
    [InlineData("grants:\n  - to: app\n    on: sequences\n    names: [s]\n    privileges: USAGE\n", "spec.yaml:2:5: a grant on sequences needs schema (expected a schema name or glob)")]
    [InlineData("grants:\n  - to: app\n    on: languages\n    schema: app\n    names: [plpgsql]\n    privileges: USAGE\n", "spec.yaml:4:13: schema does not apply to languages (languages are not in a schema)")]
    [InlineData("grants:\n  - to: app\n    on: tables\n    schema: app\n    names: [t]\n    privileges: [ALL, SELECT]\n", "spec.yaml:6:17: privileges name ALL and others (expected ALL alone, or a list without ALL)")]
    [InlineData("roles: [app]\n", "spec.yaml:1:8: roles is a list (expected a mapping of keys to values)")]
    [InlineData("default_privileges:\n  - for_role: m\n    schema: app\n    on: schemas\n    to: app\n    privileges: USAGE\n", "spec.yaml:3:13: default privileges on schemas are global only (expected no schema)")]
    public void A_spec_error_is_one_line_with_file_line_column_and_what_was_expected(string yaml, string message)
    {
        var e = Fails(yaml);
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal("spec.yaml", e.Location.File);
    }

    [Fact]
    public void A_yaml_syntax_error_names_its_place()
    {
        var e = Fails("roles:\n  app: {login: true\n");
        Assert.Equal("spec.yaml:3:1: YAML syntax: while parsing a flow mapping, did not find expected ',' or '}'.", e.Message);
    }

    [Fact]
    public void A_role_declared_twice_is_named()
    {
        var e = Fails("roles:\n  \"we\\\"ird\": {}\n  app: {}\n  \"we\\\"ird\": {login: true}\n");
        Assert.Equal("spec.yaml:4:3: \"we\"\"ird\" appears twice in one mapping (expected each name and key once)", e.Message);
    }

    [Fact]
    public void An_empty_spec_is_empty()
    {
        var spec = SpecLoader.Parse("# nothing yet\n", "spec.yaml");
        Assert.Empty(spec.Roles);
        Assert.Empty(spec.Access);
    }

    [Fact]
    public void Load_names_the_file_as_given()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pgrant-spec-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "roles:\n  app:\n    superuser: maybe\n");
        try
        {
            var e = Assert.Throws<SpecException>(() => SpecLoader.Load(path));
            Assert.Equal($"{path}:3:16: superuser is \"maybe\" (expected true or false)", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
