namespace Knative.Orleans.Silo.Api;

/// <summary>Admin API settings (configuration section <c>Admin</c>).</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Admin";

    /// <summary>Listen URL of the admin API. Default <c>http://127.0.0.1:8081</c>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8081";

    /// <summary>
    /// Bearer token every admin request must carry. When unset, a random token is generated on first start and kept in
    /// <c>{Storage:Path}/admin-token</c> (mode 0600).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Largest accepted request body in bytes; larger bodies get 413. Default 3 MiB (the Kubernetes API server's limit).</summary>
    public long MaxRequestBodyBytes { get; set; } = 3 * 1024 * 1024;
}
