using Pgrant.Postgres.Connections;
using static Pgrant.IntegrationTests.Connections.TestEnvironment;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>Password-file rules, each checked against psql 15 first.</summary>
public sealed class PassFileTests() : TempFolderTests("pgrant-pgpass-")
{

    private string Write(string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, string name = ".pgpass")
    {
        var path = Path.Combine(Root.FullName, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private ConnectionResolution ResolveWithHome(ConnectionRequest request, Dictionary<string, string>? variables = null) =>
        ConnectionResolver.Resolve(request, With(variables, home: Root.FullName));

    private static ConnectionRequest Target(string host = "127.0.0.1", string port = "5520", string user = "sdc", string db = "shop") =>
        new() { Host = host, Port = port, User = user, Database = db };

    [Fact]
    public void Home_pgpass_supplies_the_password_and_remembers_the_line()
    {
        var path = Write("# comment\nother:5520:shop:sdc:nope\n127.0.0.1:5520:shop:sdc:right\n127.0.0.1:5520:shop:sdc:later\n");
        var r = ResolveWithHome(Target());
        Assert.Equal(("right", PasswordSource.PassFile, path, (int?)3), (r.Options.Password, r.Options.PasswordSource, r.Options.PassFile, r.Options.PassFileLine));
        Assert.Empty(r.Warnings.ToArray());
    }

    [Theory]
    [InlineData("*:*:*:*:star")]
    [InlineData("127.0.0.1:*:shop:sdc:star")]
    [InlineData("*:5520:*:sdc:star")]
    public void Whole_field_star_matches_anything(string line)
    {
        Write(line + "\n");
        Assert.Equal("star", ResolveWithHome(Target()).Options.Password);
    }

    [Fact]
    public void Star_inside_a_field_is_literal()
    {
        Write("127.0.0.1:5520:sh*:sdc:nope\n127.0.0.1:5520:sh*p:sdc:literal\n");
        Assert.Null(ResolveWithHome(Target()).Options.Password);
        Assert.Equal("literal", ResolveWithHome(Target(db: "sh*p")).Options.Password);
    }

    [Fact]
    public void Backslash_escapes_colon_and_backslash_in_fields_and_password()
    {
        Write(@"127.0.0.1:5520:we\:ird\\db:sdc:sec\:r\\et" + "\n");
        Assert.Equal(@"sec:r\et", ResolveWithHome(Target(db: @"we:ird\db")).Options.Password);
    }

    [Fact]
    public void Fields_after_the_password_are_ignored_and_crlf_is_accepted()
    {
        Write("127.0.0.1:5520:shop:sdc:pw:extra\r\n");
        Assert.Equal("pw", ResolveWithHome(Target()).Options.Password);
    }

    [Fact]
    public void Lines_with_too_few_fields_never_match()
    {
        Write("127.0.0.1:5520:shop:sdc\n127.0.0.1:5520:shop\n");
        Assert.Null(ResolveWithHome(Target()).Options.Password);
    }

    [Fact]
    public void Database_defaults_to_user_before_the_lookup()
    {
        Write("127.0.0.1:5520:sdc:sdc:bydefault\n");
        Assert.Equal("bydefault", ResolveWithHome(Target() with { Database = null }).Options.Password);
    }

    [Fact]
    public void Localhost_matches_the_default_socket_directory_but_not_other_sockets_or_tcp()
    {
        Write("localhost:5520:*:sdc:local\n");
        Assert.Equal("local", ResolveWithHome(Target(host: "/var/run/postgresql")).Options.Password);
        Assert.Equal("local", ResolveWithHome(Target(host: "localhost")).Options.Password);
        Assert.Null(ResolveWithHome(Target(host: "/tmp/private-sock")).Options.Password);
        Assert.Null(ResolveWithHome(Target(host: "127.0.0.1")).Options.Password);
    }

    [Fact]
    public void A_socket_directory_entry_matches_its_own_path()
    {
        Write("/tmp/private-sock:5520:*:sdc:sock\n");
        Assert.Equal("sock", ResolveWithHome(Target(host: "/tmp/private-sock")).Options.Password);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupWrite)]
    public void Group_or_world_access_makes_the_file_ignored_with_libpqs_warning(UnixFileMode mode)
    {
        var path = Write("*:*:*:*:pw\n", mode);
        var r = ResolveWithHome(Target());
        Assert.Null(r.Options.Password);
        Assert.Equal(PasswordSource.None, r.Options.PasswordSource);
        Assert.Equal([$"password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less"], r.Warnings.ToArray());
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)]
    public void Owner_only_modes_are_accepted(UnixFileMode mode)
    {
        Write("*:*:*:*:pw\n", mode);
        Assert.Equal("pw", ResolveWithHome(Target()).Options.Password);
    }

    [Fact]
    public void Pgpassfile_replaces_the_home_file()
    {
        Write("*:*:*:*:home\n");
        var other = Write("*:*:*:*:other\n", name: "custom");
        var r = ResolveWithHome(Target(), new() { ["PGPASSFILE"] = other });
        Assert.Equal(("other", other), (r.Options.Password, r.Options.PassFile));
    }

    [Fact]
    public void Passfile_keyword_in_the_connection_string_beats_pgpassfile()
    {
        var named = Write("*:*:*:*:named\n", name: "named");
        var env = Write("*:*:*:*:env\n", name: "env");
        var r = ResolveWithHome(new ConnectionRequest { Database = $"host=h passfile='{named}'" }, new() { ["PGPASSFILE"] = env });
        Assert.Equal("named", r.Options.Password);
    }

    [Fact]
    public void Pgpassword_and_explicit_passwords_beat_the_file()
    {
        Write("*:*:*:*:file\n");
        Assert.Equal("envpw", ResolveWithHome(Target(), new() { ["PGPASSWORD"] = "envpw" }).Options.Password);
        Assert.Equal("uri", ResolveWithHome(new ConnectionRequest { Database = "postgres://u:uri@h/d" }).Options.Password);
    }

    [Fact]
    public void Missing_file_is_silent_and_a_directory_is_reported()
    {
        var missing = ResolveWithHome(Target());
        Assert.Equal((null, Path.Combine(Root.FullName, ".pgpass")), (missing.Options.Password, missing.Options.PassFile));
        Assert.Empty(missing.Warnings);
        Directory.CreateDirectory(Path.Combine(Root.FullName, ".pgpass"));
        Assert.Equal([$"password file \"{Path.Combine(Root.FullName, ".pgpass")}\" is not a plain file"], ResolveWithHome(Target()).Warnings.ToArray());
    }

    [Fact]
    public void Empty_password_in_the_file_counts_as_none()
    {
        Write("*:*:*:*:\n");
        Assert.Equal(PasswordSource.None, ResolveWithHome(Target()).Options.PasswordSource);
    }
}
