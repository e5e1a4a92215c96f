package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"syscall"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"qianfa/workflow"
)

// translate turns a driver or GORM error into a *workflow.Error; what names
// the object (in Chinese) for not-found messages. A *workflow.Error passes
// through unchanged.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	var we *workflow.Error
	switch {
	case errors.As(err, &we):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return workflow.ErrNotFound(what).WithCause(err)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return workflow.ErrDuplicate(what + "已存在").WithCause(err)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return workflow.Errorf(workflow.KindNotFound, workflow.CodeNotFound,
			"%s引用的对象不存在", what).WithCause(err)
	case unreachable(err):
		return workflow.ErrUnavailable(err)
	}
	if msg := refusedWrite(err); msg != "" {
		return workflow.Errorf(workflow.KindUnavailable, workflow.CodeUnavailable, "%s", msg).WithCause(err)
	}
	return workflow.ErrInternal(err)
}

// refusedWrite names, for people, why the database refuses to write: read-only (a
// failover replica, maintenance), full, or a storage fault. The transaction was rolled
// back, so nothing was saved and the same request can be sent again later.
func refusedWrite(err error) string {
	const (
		readOnly = "数据库当前为只读状态，修改未保存，请稍后重试"
		full     = "数据库存储空间不足，修改未保存，请联系管理员"
		storage  = "数据库存储故障，修改未保存，请联系管理员"
	)
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1290, 1792, 1836: // read-only option, read-only transaction, read-only mode
			return readOnly
		case 1021, 1114: // disk full, table full
			return full
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code of an extended one
		case 8: // SQLITE_READONLY
			return readOnly
		case 13: // SQLITE_FULL
			return full
		case 10: // SQLITE_IOERR
			return storage
		}
	}
	return ""
}

// unreachable reports whether err means the database cannot be reached
// (or is too busy to answer in time), as opposed to a bad statement.
func unreachable(err error) bool {
	var opErr *net.OpError
	return errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, mysql.ErrInvalidConn) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &opErr)
}
