namespace Knative.Orleans.Gateway; public static class Program { public static void Main(string[] args) { } }
