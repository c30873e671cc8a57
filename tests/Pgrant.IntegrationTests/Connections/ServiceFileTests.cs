using Pgrant.Cli;
using Pgrant.Postgres.Connections;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>
/// Connection service files (pg_service.conf), each rule checked first with psql 15 on libpq 15 and
/// libpq 18.4: which file is read, how a section is parsed, what wins over what, and the exact errors.
/// </summary>
[Collection(ConnectionServerCollection.Name)]
public sealed class ServiceFileTests(ConnectionServerFixture fixture) : TempFolderTests("pgrant-service-")
{

    private string Home => Directory.CreateDirectory(Path.Combine(Root.FullName, "home")).FullName;
    private string SysConfDir => Directory.CreateDirectory(Path.Combine(Root.FullName, "etc")).FullName;
    private string UserFile => Path.Combine(Home, ".pg_service.conf");
    private string SystemFile => Path.Combine(SysConfDir, "pg_service.conf");

    private static string Write(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>No PG* variables but those given; PGSYSCONFDIR is the test's own folder unless given, so the machine's files never count.</summary>
    private StaticConnectionEnvironment Env(Dictionary<string, string>? variables = null)
    {
        variables ??= [];
        variables.TryAdd("PGSYSCONFDIR", SysConfDir);
        return new StaticConnectionEnvironment(variables, Home, "alice");
    }

    private static ConnectionResolution Resolve(ConnectionRequest request, IConnectionEnvironment environment) =>
        ConnectionResolver.Resolve(request, environment);

    private static PgrantException Fails(ConnectionRequest request, IConnectionEnvironment environment)
    {
        var e = Assert.Throws<PgrantException>(() => ConnectionResolver.Resolve(request, environment));
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static async Task<(string User, string Database, int Port)> WhoAmI(ConnectionOptions options)
    {
        await using var connection = await PgConnector.OpenAsync(options, CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT current_user, current_database(), inet_server_port()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetInt32(2));
    }

    private static string Section(string name, LocalCluster server, string extra = "") =>
        $"[{name}]\nhost={server.Host}\nport={server.Port}\nuser=sdc\ndbname=sdc\n{extra}";

    private Task<LocalCluster> ServerAsync(int major) => fixture.ServerAsync(major);

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Pgservice_with_pgservicefile_connects_to_the_services_server(int major)
    {
        var server = await ServerAsync(major);
        var file = Write(Path.Combine(Root.FullName, "services.conf"), "# team services\n\n" + Section("app", server, $"password={Password}\n"));
        var r = Resolve(new ConnectionRequest(), Env(new() { ["PGSERVICE"] = "app", ["PGSERVICEFILE"] = file }));
        Assert.Equal(("app", file, PasswordSource.ServiceFile), (r.Options.Service, r.Options.ServiceFile, r.Options.PasswordSource));
        Assert.Equal(("sdc", "sdc", server.Port), await WhoAmI(r.Options));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Service_in_the_connection_string_or_uri_is_read_from_the_home_service_file(int major)
    {
        var server = await ServerAsync(major);
        Write(UserFile, Section("app", server));
        var env = Env(new() { ["PGPASSWORD"] = Password });
        Assert.Equal(("sdc", "sdc", server.Port), await WhoAmI(Resolve(new ConnectionRequest { Database = "service=app" }, env).Options));
        Assert.Equal(("sdc", "sdc", server.Port), await WhoAmI(Resolve(new ConnectionRequest { Database = "postgresql://?service=app" }, env).Options));
        Assert.Equal(UserFile, Resolve(new ConnectionRequest { Database = "postgres:///?service=app" }, env).Options.ServiceFile);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Service_from_the_system_file_in_pgsysconfdir(int major)
    {
        var server = await ServerAsync(major);
        Write(SystemFile, Section("app", server));
        var r = Resolve(new ConnectionRequest(), Env(new() { ["PGSERVICE"] = "app", ["PGPASSWORD"] = Password }));
        Assert.Equal(SystemFile, r.Options.ServiceFile);
        Assert.Equal(("sdc", "sdc", server.Port), await WhoAmI(r.Options));
    }

    [Fact]
    public void The_user_file_wins_and_the_system_file_is_read_only_when_the_user_file_lacks_the_service()
    {
        Write(UserFile, "[app]\nhost=user-host\n[other]\nhost=user-other\n");
        // The system file's app section is never read: its unknown keyword would be an error.
        Write(SystemFile, "[app]\nhost=system-host\nport=7000\nnonsense=1\n[only-system]\nhost=system-only\n");
        var app = Resolve(new ConnectionRequest { Database = "service=app" }, Env()).Options;
        Assert.Equal(("user-host", 5432, UserFile), (app.Host, app.Port, app.ServiceFile));
        var systemOnly = Resolve(new ConnectionRequest { Database = "service=only-system" }, Env()).Options;
        Assert.Equal(("system-only", SystemFile), (systemOnly.Host, systemOnly.ServiceFile));
    }

    [Fact]
    public void Pgservicefile_replaces_the_home_file_and_servicefile_replaces_pgservicefile()
    {
        Write(UserFile, "[app]\nhost=home\n");
        var named = Write(Path.Combine(Root.FullName, "named.conf"), "[app]\nhost=named\n");
        var option = Write(Path.Combine(Root.FullName, "option.conf"), "[app]\nhost=option\n");
        var env = Env(new() { ["PGSERVICEFILE"] = named });
        Assert.Equal("named", Resolve(new ConnectionRequest { Database = "service=app" }, env).Options.Host);
        Assert.Equal("option", Resolve(new ConnectionRequest { Database = $"service=app servicefile={option}" }, env).Options.Host);
    }

    [Fact]
    public void Explicit_settings_beat_the_service_and_the_service_beats_the_environment()
    {
        Write(UserFile, "[app]\nhost=svc-host\nport=6001\nuser=svc-user\nsslmode=require\n");
        var env = Env(new()
        {
            ["PGSERVICE"] = "app", ["PGHOST"] = "env-host", ["PGPORT"] = "7001", ["PGUSER"] = "env-user",
            ["PGDATABASE"] = "env-db", ["PGSSLMODE"] = "disable",
        });
        var o = Resolve(new ConnectionRequest { User = "cli-user" }, env).Options;
        // -U beats the service; the service beats PGHOST/PGPORT/PGSSLMODE; PGDATABASE fills what the service left unset.
        Assert.Equal(("svc-host", 6001, "cli-user", "env-db", SslMode.Require), (o.Host, o.Port, o.User, o.Database, o.SslMode));
        var d = Resolve(new ConnectionRequest { Host = "cli-host", Database = "service=app port=5999" }, env).Options;
        Assert.Equal(("cli-host", 5999, "svc-user"), (d.Host, d.Port, d.User));
    }

    [Fact]
    public void Only_the_named_section_counts_and_its_first_setting_of_a_keyword_wins()
    {
        Write(UserFile, "host=before-any-section\n[app-old]\nhost=old\n  [app] trailing text is ignored, as in libpq\n" +
                        "  host=first  \nhost=second\nport=6000\n[next]\nport=1\n[app]\nhost=duplicate-section\n");
        var o = Resolve(new ConnectionRequest { Database = "service=app" }, Env()).Options;
        Assert.Equal(("first", 6000), (o.Host, o.Port));
    }

    [Fact]
    public void Values_keep_what_follows_the_first_equals_sign()
    {
        Write(UserFile, "[app]\noptions=-c search_path=a,b\napplication_name= spaced\n");
        var o = Resolve(new ConnectionRequest { Database = "service=app" }, Env()).Options;
        Assert.Equal(("-c search_path=a,b", " spaced"), (o.Parameters["options"], o.ApplicationName));
    }

    [Fact]
    public void A_missing_service_is_one_line_naming_the_files_looked_in()
    {
        Write(UserFile, "[other]\nhost=x\n");
        var e = Fails(new ConnectionRequest { Database = "service=nope" }, Env());
        Assert.Equal("definition of service \"nope\" not found", e.Message);
        Assert.Equal($"pgrant looked for a [nope] section in {UserFile} and {SystemFile}; " +
                     "set PGSERVICEFILE (or servicefile=) or PGSYSCONFDIR to use other files, or check the service name.", e.Hint);
    }

    [Fact]
    public void Pgservice_is_honoured_never_ignored_so_a_missing_one_fails_instead_of_reaching_the_default_server()
    {
        var e = Fails(new ConnectionRequest(), Env(new() { ["PGSERVICE"] = "prod" }));
        Assert.Equal("definition of service \"prod\" not found", e.Message);
        // libpq looks for a service "" when PGSERVICE is set but empty.
        Assert.Equal("definition of service \"\" not found", Fails(new ConnectionRequest(), Env(new() { ["PGSERVICE"] = "" })).Message);
    }

    [Fact]
    public void Without_pgsysconfdir_the_debian_sysconfdir_is_used()
    {
        var e = Fails(new ConnectionRequest { Database = "service=pgrant-test-no-such-service" },
            new StaticConnectionEnvironment(new Dictionary<string, string>(), Home, "alice"));
        Assert.EndsWith($" and /etc/postgresql-common/pg_service.conf; set PGSERVICEFILE (or servicefile=) or PGSYSCONFDIR to use other files, or check the service name.", e.Hint);
        Assert.Equal("/etc/postgresql-common", ServiceFile.DefaultSysConfDir);
    }

    [Fact]
    public void A_pgservicefile_that_does_not_exist_is_an_error()
    {
        var missing = Path.Combine(Root.FullName, "missing.conf");
        var e = Fails(new ConnectionRequest(), Env(new() { ["PGSERVICE"] = "app", ["PGSERVICEFILE"] = missing }));
        Assert.Equal($"service file \"{missing}\" not found", e.Message);
    }

    [Theory]
    [InlineData("[app]\nhost=h\nservice=other\n", "nested service specifications not supported in service file \"{0}\", line 3",
        "a service section cannot name another service; copy that service's settings instead.")]
    [InlineData("[app]\n# comment\nhost\n", "syntax error in service file \"{0}\", line 3",
        "lines of a service section are key=value, e.g. host=db.example.com.")]
    [InlineData("[app]\nhost = db.example.com\n", "syntax error in service file \"{0}\", line 2",
        "remove the blanks around \"=\": libpq reads them as part of the option name (write host=…).")]
    [InlineData("[app]\nhost=h\nfoo=bar\n", "syntax error in service file \"{0}\", line 3", null)]
    [InlineData("[app]\nkeepalives=1\n", "connection option \"keepalives\" in service file \"{0}\", line 2 is not supported by pgrant", null)]
    [InlineData("[app]\nhostaddr=10.0.0.1\n", "connection option \"hostaddr\" in service file \"{0}\", line 2 is not supported by pgrant", null)]
    [InlineData("[app]\nservicefile=/x\n", "connection option \"servicefile\" in service file \"{0}\", line 2 is not supported by pgrant", null)]
    [InlineData("[app]\nldap://ldap.example.com/dc=example?uniqueMember?one?(cn=app)\n", "LDAP lookups in service file \"{0}\", line 2 are not supported by pgrant", null)]
    public void A_section_that_cannot_be_parsed_is_one_line_naming_file_and_line(string text, string message, string? hint)
    {
        var path = Write(UserFile, text);
        var e = Fails(new ConnectionRequest { Database = "service=app" }, Env());
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path), e.Message);
        if (hint is not null) Assert.Equal(hint, e.Hint);
    }

    [Fact]
    public void Errors_in_other_sections_are_not_errors()
    {
        Write(UserFile, "[broken]\nhost = x\nservice=y\nno equals\n[app]\nhost=fine\n");
        Assert.Equal("fine", Resolve(new ConnectionRequest { Database = "service=app" }, Env()).Options.Host);
    }

    [Fact]
    public void A_syntax_error_never_echoes_the_line_which_may_hold_a_password()
    {
        Write(UserFile, "[app]\nS3cretPassw0rd\npassword = S3cretPassw0rd\n");
        var e = Fails(new ConnectionRequest { Database = "service=app" }, Env());
        Assert.DoesNotContain("S3cret", e.Message + e.Hint);
    }

    [Fact]
    public void A_line_libpq_cannot_buffer_is_too_long()
    {
        // libpq's fgets buffer is 1024 bytes: 1021 characters and a newline fit, 1022 do not.
        Write(UserFile, $"[app]\noptions={new string('x', 1021 - "options=".Length)}\n");
        Assert.Equal(1021 - "options=".Length, Resolve(new ConnectionRequest { Database = "service=app" }, Env()).Options.Parameters["options"].Length);
        var path = Write(UserFile, $"[app]\noptions={new string('x', 1022 - "options=".Length)}\n");
        Assert.Equal($"line 2 too long in service file \"{path}\"", Fails(new ConnectionRequest { Database = "service=app" }, Env()).Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_wrong_password_from_the_service_names_the_service(int major)
    {
        var server = await ServerAsync(major);
        Write(UserFile, Section("app", server, "password=Not-The-Password\n"));
        var options = Resolve(new ConnectionRequest { Database = "service=app" }, Env()).Options;
        var e = await Assert.ThrowsAsync<ConnectionFailedException>(() => PgConnector.OpenAsync(options, CancellationToken.None));
        Assert.Equal(ConnectionFailure.BadPassword, e.Failure);
        Assert.Equal($"the password came from service \"app\" in {UserFile}; correct it there.", e.Hint);
        Assert.DoesNotContain("Not-The-Password", e.Message + e.Hint);
    }
}
