namespace Knative.Orleans.Silo.Hosting;

/// <summary>Where the embedded default keeps its state (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>
    /// Data directory: grain state (<c>state.db</c>), the generated admin token, workload pid records. Default <c>./data</c>
    /// (relative to the current directory).
    /// </summary>
    public string Path { get; set; } = "data";
}
