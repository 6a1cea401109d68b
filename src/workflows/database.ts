import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { deferredChecks } from '../private/errors';
import { portProblem, quoted } from '../private/validate';
import { SecretKeyRef } from '../secrets';
import { secretSelector } from './private/constants';

/** `sslMode` of a PostgreSQL connection (never `disable`). */
export enum PostgresSslMode {
  /** Encrypted, server certificate not verified. */
  REQUIRE = 'require',
  /** Encrypted, server certificate signed by a trusted CA. */
  VERIFY_CA = 'verify-ca',
  /** Encrypted, certificate trusted and matching the host name. */
  VERIFY_FULL = 'verify-full',
}

/** TLS of a MySQL connection (the driver's `tls` parameter; never unencrypted). */
export enum MysqlTlsMode {
  /** Encrypted, server certificate not verified (`tls=skip-verify`). */
  REQUIRE = 'skip-verify',
  /** Encrypted, certificate signed by a CA the controller trusts and matching the host name (`tls=true`). */
  VERIFY_FULL = 'true',
}

/** Connection settings shared by the PostgreSQL and MySQL archive databases. */
export interface WorkflowDatabaseOptions {
  /** Database host name. */
  readonly host: string;
  /**
   * Database port.
   * @default 5432 for PostgreSQL, 3306 for MySQL
   */
  readonly port?: number;
  /** Database name. */
  readonly database: string;
  /**
   * Table for archived workflows.
   * @default 'argo_workflows'
   */
  readonly tableName?: string;
  /** User name, from a Secret in the controller's namespace. */
  readonly username: SecretKeyRef;
  /** Password, from a Secret in the controller's namespace. */
  readonly password: SecretKeyRef;
}

/** Options for {@link WorkflowDatabase.postgresql}. */
export interface PostgresqlDatabaseOptions extends WorkflowDatabaseOptions {
  /**
   * TLS verification of the database connection.
   * @default PostgresSslMode.REQUIRE
   */
  readonly sslMode?: PostgresSslMode;
  /**
   * The PEM CA bundle the server certificate is checked against, from a Secret in the
   * controller's namespace (e.g. key `ca.crt` of the Secret cert-manager or CloudNativePG writes).
   * It is mounted read-only into workflow-controller and argo-server, and `PGSSLROOTCERT`
   * points the driver at it: Argo's connection string has no `sslrootcert`, and without one the
   * driver looks for `~/.postgresql/root.crt`, which the images lack. Required with
   * `VERIFY_CA` and `VERIFY_FULL`.
   * @default - none (only with PostgresSslMode.REQUIRE)
   */
  readonly caCertificate?: SecretKeyRef;
}

/** Options for {@link WorkflowDatabase.mysql}. */
export interface MysqlDatabaseOptions extends WorkflowDatabaseOptions {
  /**
   * TLS of the database connection.
   * @default MysqlTlsMode.REQUIRE
   */
  readonly tlsMode?: MysqlTlsMode;
}

/** The database that holds the workflow archive (and offloaded node status). */
export class WorkflowDatabase {
  /** A PostgreSQL database; the connection always uses TLS. */
  public static postgresql(options: PostgresqlDatabaseOptions): WorkflowDatabase {
    const sslMode = options.sslMode ?? PostgresSslMode.REQUIRE;
    const db = new WorkflowDatabase('postgresql', options, { ssl: true, sslMode }, 5432, options.caCertificate);
    if (sslMode !== PostgresSslMode.REQUIRE && options.caCertificate === undefined) {
      db.caProblem = `sslMode ${sslMode} checks the server certificate against a CA, but Argo Workflows gives the driver none `
        + '(it falls back to ~/.postgresql/root.crt, which the images lack, and every connection fails): '
        + "set caCertificate to the Secret key holding the PEM CA, e.g. SecretKeyRef.fromExistingSecret('postgres-ca', 'ca.crt')";
    }
    return db;
  }

  /**
   * A MySQL database; the connection always uses TLS (the driver's default is plaintext, which
   * would expose the credentials and workflow data).
   */
  public static mysql(options: MysqlDatabaseOptions): WorkflowDatabase {
    return new WorkflowDatabase('mysql', options, { options: { tls: options.tlsMode ?? MysqlTlsMode.REQUIRE } }, 3306);
  }

  /** Why the TLS settings cannot work, found by the factory and reported at synth. */
  private caProblem?: string;

  private constructor(
    /** `postgresql` or `mysql`: the key of the block under `persistence`. */
    public readonly engine: string,
    private readonly options: WorkflowDatabaseOptions,
    private readonly tls: Record<string, unknown>,
    private readonly defaultPort: number,
    /** The CA bundle the connection is verified against (PostgreSQL only). */
    public readonly caCertificate?: SecretKeyRef,
  ) {}

  /** The database port. */
  public get port(): number {
    return this.options.port ?? this.defaultPort;
  }

  /** The credential Secrets this database reads. */
  public get credentials(): SecretKeyRef[] {
    return [this.options.username, this.options.password];
  }

  /** @internal */
  public _render(scope: Construct): Record<string, unknown> {
    const checks = deferredChecks(scope);
    const port = this.port;
    checks.check('persistence.database.port', portProblem(port));
    checks.check('persistence.database.caCertificate', this.caProblem);
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(this.options.host)) {
      checks.check('persistence.database.host', `${quoted(this.options.host)} is not a host name or IP address`);
    }
    // both end up in the connection string and in SQL: plain identifiers only
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(this.options.database)) {
      checks.check('persistence.database.database', `${quoted(this.options.database)} is not a database name: use up to 63 letters, digits, '_' and '-', starting with a letter or '_'`);
    }
    const tableName = this.options.tableName ?? 'argo_workflows';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(tableName)) {
      checks.check('persistence.database.tableName', `${quoted(tableName)} is not a table name: use up to 63 letters, digits and '_', starting with a letter or '_'`);
    }
    return {
      host: this.options.host,
      port,
      database: this.options.database,
      tableName,
      userNameSecret: secretSelector(this.options.username),
      passwordSecret: secretSelector(this.options.password),
      ...this.tls,
    };
  }
}

/** The workflow archive and node-status offloading (`persistence`). */
export interface WorkflowPersistenceOptions {
  /**
   * The database. Required: the controller stops at startup when `archive` is on without one.
   * @default - none, which is an error
   */
  readonly database?: WorkflowDatabase;
  /**
   * Save completed workflows to the archive.
   * @default true
   */
  readonly archive?: boolean;
  /**
   * How long archived workflows are kept.
   * @default Duration.days(30)
   */
  readonly archiveTtl?: Duration;
  /**
   * Keep node status in the database instead of the Workflow object (for very large workflows).
   * @default false
   */
  readonly nodeStatusOffload?: boolean;
}
